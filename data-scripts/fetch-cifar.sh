#!/usr/bin/env bash
# Downloads the official CIFAR-10 / CIFAR-100 binary archives, checks their published MD5 sums and unpacks
# them for org.deqnc.data.Cifar. Needs internet; safe to re-run (skips what is already in place).
#
# Usage: data-scripts/fetch-cifar.sh [--cifar10 | --cifar100 | --all] [DIR]
#   DIR defaults to data/cifar at the repository root. Afterwards the Java readers find the data with
#   -Ddeqnc.cifar.dir=DIR (or environment DEQNC_CIFAR_DIR=DIR); data/cifar is their default when run from
#   the repository root.
set -euo pipefail

BASE_URL="${CIFAR_BASE_URL:-https://www.cs.toronto.edu/~kriz}"   # CIFAR_BASE_URL: a mirror holding the same archives
# name|archive|md5 (published on https://www.cs.toronto.edu/~kriz/cifar.html)|unpacked folder|a file it must contain
CIFAR10="CIFAR-10|cifar-10-binary.tar.gz|c32a1d4ab5d03f1284b67883e8d87530|cifar-10-batches-bin|test_batch.bin"
CIFAR100="CIFAR-100|cifar-100-binary.tar.gz|03b5dce01913d631647c71ecec9e9cb8|cifar-100-binary|test.bin"

usage() {
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

which_sets="all"
dir=""
for arg in "$@"; do
    case "$arg" in
        --cifar10) which_sets="cifar10" ;;
        --cifar100) which_sets="cifar100" ;;
        --all) which_sets="all" ;;
        -h|--help) usage 0 ;;
        -*) echo "fetch-cifar.sh: unknown option '$arg' (accepted: --cifar10, --cifar100, --all, --help)" >&2; exit 2 ;;
        *)
            if [[ -n "$dir" ]]; then
                echo "fetch-cifar.sh: only one DIR allowed, got '$dir' and '$arg'" >&2; exit 2
            fi
            dir="$arg" ;;
    esac
done
if [[ -z "$dir" ]]; then
    repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    dir="$repo_root/data/cifar"
fi
mkdir -p "$dir"

download() { # url target
    if command -v curl >/dev/null 2>&1; then
        curl -fL --retry 3 -o "$2" "$1"
    elif command -v wget >/dev/null 2>&1; then
        wget -O "$2" "$1"
    else
        echo "fetch-cifar.sh: need curl or wget to download $1" >&2; exit 1
    fi
}

md5_of() {
    md5sum "$1" | cut -d' ' -f1
}

fetch() { # spec
    IFS='|' read -r name archive md5 folder marker <<<"$1"
    if [[ -f "$dir/$folder/$marker" ]]; then
        echo "$name: already unpacked in $dir/$folder, nothing to do"
        return
    fi
    local target="$dir/$archive"
    if [[ -f "$target" && "$(md5_of "$target")" != "$md5" ]]; then
        echo "$name: $target has a wrong MD5 sum, downloading it again"
        rm -f "$target"
    fi
    if [[ ! -f "$target" ]]; then
        echo "$name: downloading $BASE_URL/$archive"
        # download beside the target, so an interrupted run never leaves a half file under the final name
        download "$BASE_URL/$archive" "$target.part"
        mv "$target.part" "$target"
    fi
    local actual
    actual="$(md5_of "$target")"
    if [[ "$actual" != "$md5" ]]; then
        echo "fetch-cifar.sh: $name: MD5 of $target is $actual, expected $md5; delete it and retry" >&2
        exit 1
    fi
    tar -xzf "$target" -C "$dir"
    if [[ ! -f "$dir/$folder/$marker" ]]; then
        echo "fetch-cifar.sh: $name: $archive did not unpack to $dir/$folder/$marker" >&2
        exit 1
    fi
    echo "$name: unpacked into $dir/$folder (MD5 $md5 verified)"
}

case "$which_sets" in
    cifar10) fetch "$CIFAR10" ;;
    cifar100) fetch "$CIFAR100" ;;
    all) fetch "$CIFAR10"; fetch "$CIFAR100" ;;
esac
echo "Java readers: -Ddeqnc.cifar.dir=$dir (or DEQNC_CIFAR_DIR=$dir)"
