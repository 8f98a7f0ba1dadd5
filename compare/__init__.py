"""Train and compare LeNet implementations on Fashion-MNIST: data, runner, timing, reports and CLI."""
