"""Weight decay (reg-scratch / reg-gluon): high-dimensional linear regression that overfits 20 examples."""
