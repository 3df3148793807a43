#!/usr/bin/env bash
# The GPU check, run by hand on a machine with an NVIDIA GPU and CuPy (no PySide6 needed):
# the device tests and the engine benchmark on cuda. Usage: bash benchmarks/gpu_check.sh [OUTDIR]
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-${OUT:-/tmp/gpu_check}}
mkdir -p "$out"
# gradtrace.core without installing: a namespace package pointing at core/
site=$(mktemp -d)
mkdir -p "$site/gradtrace"
ln -s "$PWD/core" "$site/gradtrace/core"
export PYTHONPATH="$site:$PWD"
PY=${PYTHON:-python3}
{
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
  $PY -c "import sys, cupy, numpy; print('python', sys.version.split()[0], 'cupy', cupy.__version__, 'numpy', numpy.__version__)"
  $PY -c "import gradtrace.core as t; print('cuda available:', t.cuda.is_available(), t.cuda.device_count())"
} 2>&1 | tee "$out/gpu_info.txt"
$PY -m pytest -q -p no:cacheprovider -o addopts="" tests/core/test_devices.py tests/core/test_devices_autograd.py tests/core/test_launches.py tests/core/test_autograd.py tests/core/test_tutorial.py 2>&1 | tee "$out/gpu_tests.txt"
tests_rc=${PIPESTATUS[0]}
$PY benchmarks/engine.py --device cuda ${BENCH_ARGS:-} --json "$out/gpu_bench.json" 2>&1 | tee "$out/gpu_bench.txt"
bench_rc=${PIPESTATUS[0]}
echo "tests exit $tests_rc, benchmark exit $bench_rc"
exit $(( tests_rc || bench_rc ))
