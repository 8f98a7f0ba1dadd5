"""What each command does given its configuration: run, check, bench, profile, tune, diff (and their
workers). Jobs combine instruments, the loop and result types; they print nothing."""
