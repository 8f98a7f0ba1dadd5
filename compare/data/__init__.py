"""Fashion-MNIST: finding, validating and reading it; device-resident batches."""
