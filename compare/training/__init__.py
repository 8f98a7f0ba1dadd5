"""Training and proving: implementation selection, the one step and loop, the equivalence check."""
