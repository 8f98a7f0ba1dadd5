"""LeNet implementations behind one `Model` protocol; `implementations.registry` lists and builds them."""
