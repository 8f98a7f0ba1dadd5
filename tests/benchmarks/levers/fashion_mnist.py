"""Fashion-MNIST's training set from Debian's dataset-fashion-mnist, as float32 images in [0, 1] and int64 labels."""
import gzip

import numpy


def load(root="/usr/share/datasets/fashion-mnist"):
    with gzip.open(f"{root}/train-images-idx3-ubyte.gz") as f:
        x = numpy.frombuffer(f.read(), numpy.uint8, offset=16).reshape(-1, 1, 28, 28).astype(numpy.float32) / 255
    with gzip.open(f"{root}/train-labels-idx1-ubyte.gz") as f:
        y = numpy.frombuffer(f.read(), numpy.uint8, offset=8).astype(numpy.int64)
    return x, y
