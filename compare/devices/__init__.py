"""Where a job runs: --ctx parsing, the Topology (contexts, shards, workers, KVStore), the launcher."""
