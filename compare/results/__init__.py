"""Results as data: the result types, their JSON files, aggregates across seeds, comparing two files."""
