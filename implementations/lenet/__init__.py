"""LeNet, the tutorial's convolutional network: its spec (the only place its sizes, layer names and init
live) and one module per implementation of it."""
