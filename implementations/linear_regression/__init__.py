"""Linear regression, the tutorial's first pair (linear-regression-scratch / -gluon): its spec and implementations."""
