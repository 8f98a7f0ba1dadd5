"""Measuring: engine-synced timers, machine load, threads, memory, statistics, bench and profile."""
