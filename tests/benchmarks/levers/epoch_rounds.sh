#!/bin/bash
cd "$(dirname "$0")"  # the scripts beside this one; PYTHON: the project venv's python by default
PY=${PYTHON:-../../../.venv/bin/python}
T="OMP_NUM_THREADS=2 MXNET_ENGINE_TYPE=NaiveEngine OMP_PROC_BIND=true"
declare -a NAMES=(defaults tuned tuned+amp_bf16 tuned+bf16_converted tuned+no_static_alloc tuned+mkldnn_off tuned+no_op_tuning threaded2+bulk50 tuned+batch512 tuned+optimize_for torch_fp32 torch_bf16)
declare -a CMDS=(
 "env $PY mxnet_epoch.py ''"
 "env $T $PY mxnet_epoch.py ''"
 "env $T $PY mxnet_epoch.py bf16"
 "env $T $PY mxnet_epoch.py bf16conv"
 "env $T $PY mxnet_epoch.py nostatic"
 "env $T MXNET_MKLDNN_ENABLED=0 $PY mxnet_epoch.py ''"
 "env $T MXNET_USE_OPERATOR_TUNING=0 $PY mxnet_epoch.py ''"
 "env OMP_NUM_THREADS=2 MXNET_EXEC_BULK_EXEC_MAX_NODE_TRAIN_FWD=50 MXNET_EXEC_BULK_EXEC_MAX_NODE_TRAIN_BWD=50 $PY mxnet_epoch.py ''"
 "env $T BATCH=512 $PY mxnet_epoch.py ''"
 "env $T $PY mxnet_epoch.py optimize_for"
 "${TORCH_PYTHON:?a python with torch installed} torch_epoch.py"
 "${TORCH_PYTHON:?a python with torch installed} torch_epoch.py bf16"
)
for round in 1 2 3; do
  n=${#NAMES[@]}
  for k in $(seq 0 $((n-1))); do
    i=$(( (k + round - 1) % n ))
    r=$(bash -c "${CMDS[$i]}" 2>/dev/null | grep samples_per_s | tail -1)
    echo "$round ${NAMES[$i]} $r"
  done
done
