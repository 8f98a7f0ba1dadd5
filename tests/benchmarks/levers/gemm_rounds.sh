#!/bin/bash
cd "$(dirname "$0")"  # the scripts beside this one; PYTHON: the project venv's python by default
PY=${PYTHON:-../../../.venv/bin/python}
T="OMP_NUM_THREADS=2 MXNET_ENGINE_TYPE=NaiveEngine OMP_PROC_BIND=true"
declare -a NAMES=(defaults tuned tuned+HASWELL tuned+SKYLAKEX tuned+ZEN tuned+COOPERLAKE)
declare -a CMDS=("env $PY gemm_rates.py" "env $T $PY gemm_rates.py" "env $T OPENBLAS_CORETYPE=HASWELL $PY gemm_rates.py" "env $T OPENBLAS_CORETYPE=SKYLAKEX $PY gemm_rates.py" "env $T OPENBLAS_CORETYPE=ZEN $PY gemm_rates.py" "env $T OPENBLAS_CORETYPE=COOPERLAKE $PY gemm_rates.py")
for round in 1 2 3; do
  n=${#NAMES[@]}
  for k in $(seq 0 $((n-1))); do
    i=$(( (k + round - 1) % n ))
    r=$(bash -c "${CMDS[$i]}" 2>/dev/null | grep nd.dot | tail -1)
    echo "$round ${NAMES[$i]} $r"
  done
done
