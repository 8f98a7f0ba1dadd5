"""`check`: every quantity of an implementation against the reference on one batch (equivalence), held to
float32's own noise (tolerance), and the diagnosis of a difference (mistakes, update rules, penalty, dropout,
drift), measured by the probe."""
