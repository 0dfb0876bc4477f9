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
    # An instrumented build (scripts/test.sh --sanitize) gives every unit ASan's own
    # initialiser, which only registers the unit's globals with the runtime; that one is
    # allowed. Any other call from start-up code is the unit's own initialiser.
    foreign_calls=$(objdump -dr -j .text.startup "$object" 2>/dev/null |
      grep -oE 'R_X86_64_PLT32[[:space:]]+[^[:space:]+-]+' | awk '{print $2}' |
      grep -vE '^__(asan|ubsan)_' || true)
    sanitizer_only=0
    nm -u "$object" | grep -q ' __asan_init$' && [ -z "$foreign_calls" ] && sanitizer_only=1
    if [ "$sanitizer_only" -eq 0 ]; then
      echo "FAIL: ${object##*/} has a static initialiser${foreign_calls:+ (it calls: $(echo $foreign_calls))}"
      failures=$((failures + 1))
    fi
  fi
done
[ "$checked" -gt 0 ] || { echo "FAIL: no *_avx2/*_avx512 objects among the arguments"; exit 1; }
[ "$failures" -eq 0 ] && echo "ok: $checked wide-ISA units define only their entry points"
[ "$failures" -eq 0 ]
