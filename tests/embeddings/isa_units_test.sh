#!/usr/bin/env bash
# Usage: isa_units_test.sh OBJECT...   (an argument may hold several, separated by ';', as
# CMake's $<TARGET_OBJECTS:...> gives them)
# The units compiled for a wide instruction set (*_avx2.cc, *_avx512.cc) may define nothing but
# their entry points, global functions named ...Avx2 or ...Avx512: no inline function or
# template instance the linker could pick for baseline code (one compiled for AVX-512 would then
# fault on another CPU), and no static initialiser, which would run on every CPU at start-up.
set -u
failures=0
checked=0
IFS=';' read -ra objects <<<"$*"
for object in "${objects[@]}"; do
  case "$object" in *_avx2.cc.o | *_avx512.cc.o) ;; *) continue ;; esac
  checked=$((checked + 1))
  # Local symbols (lower-case kinds: the unit's own helpers and constants) stay in the unit;
  # a global one must be an entry point, and weak or unique ones (W, w, V, v, u) never are.
  while read -r _ kind name; do
    case "$kind" in
      [uvw]) ;;
      [a-z]) continue ;;
      T) case "$name" in *Avx2\(* | *Avx512\(*) continue ;; esac ;;
    esac
    echo "FAIL: ${object##*/} defines $kind $name"
    failures=$((failures + 1))
  done < <(nm -C --defined-only "$object")
  if objdump -h "$object" | grep -qE '\.(init_array|ctors)'; then
    echo "FAIL: ${object##*/} has a static initialiser"
    failures=$((failures + 1))
  fi
done
[ "$checked" -gt 0 ] || { echo "FAIL: no *_avx2/*_avx512 objects among the arguments"; exit 1; }
[ "$failures" -eq 0 ] && echo "ok: $checked wide-ISA units define only their entry points"
[ "$failures" -eq 0 ]
