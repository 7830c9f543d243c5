#!/usr/bin/env bash
# The GPU check for `device` machines (see bench/RESULTS.md, "GPU"): one short run.
# Expects the CTranslate2 wheel for that machine's Python in .whl/ and writes to $OUT.
# CTranslate2's PyPI wheels dlopen libcublas.so.12; where the machine only has CUDA 13's
# cuBLAS, a libcublas.so.12 link to it is tried (the gemm entry points used are the same).
set -u
export PYTHONUNBUFFERED=1 XDG_CACHE_HOME=/tmp/bpcache
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
exec > >(tee "$OUT/gpu.log") 2>&1
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
  --target /tmp/site .whl/*.whl || exit 3
export PYTHONPATH=/tmp/site:$PWD
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
python3 --version
libs=$(find /opt /usr -name 'libcublas*.so.1[23]*' 2>/dev/null)
echo "$libs"
mkdir -p /tmp/culib
twelve=$(echo "$libs" | grep -m1 '/libcublas\.so\.12' || true)
if [ -n "$twelve" ]; then
  export LD_LIBRARY_PATH=$(dirname "$twelve")
else
  thirteen=$(echo "$libs" | grep -m1 '/libcublas\.so\.13' || true)
  lt=$(echo "$libs" | grep -m1 '/libcublasLt\.so\.13' || true)
  [ -n "$thirteen" ] && ln -sf "$thirteen" /tmp/culib/libcublas.so.12
  [ -n "$lt" ] && ln -sf "$lt" /tmp/culib/libcublasLt.so.12
  export LD_LIBRARY_PATH=/tmp/culib:$(dirname "${thirteen:-/x/x}")
fi
python3 -c "import ctranslate2 as c; print('ctranslate2', c.__version__, 'gpus', c.get_cuda_device_count(), c.get_supported_compute_types('cuda'))"
python3 bench/translate_speed.py --device cuda --repeats 3 --json "$OUT/gpu.json"
echo "exit $?"
