# End-to-end CLI test (ctest lm_cli_end_to_end): lm-train on a generated corpus with word vectors,
# the --stop-after/--resume path against an uninterrupted run (byte-identical checkpoints), the
# --json line, and lm-generate. Run with -DWORDSPACE=<binary> -DWORK=<scratch dir>.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

# A corpus of 400 short lines over 12 words, and 4-dimensional vectors for some of them.
set(words the cat dog sat ran on a mat rug and fast slow)
set(corpus "")
foreach(i RANGE 399)
  math(EXPR a "(${i} * 7) % 12")
  math(EXPR b "(${i} * 5 + 3) % 12")
  math(EXPR c "(${i} * 11 + 1) % 12")
  list(GET words ${a} wa)
  list(GET words ${b} wb)
  list(GET words ${c} wc)
  string(APPEND corpus "the ${wa} ${wb} on ${wc}\n")
endforeach()
file(WRITE ${WORK}/corpus.txt "${corpus}")
file(WRITE ${WORK}/vectors.txt "6 4\nthe 0.1 0.2 0.3 0.4\ncat 0.5 -0.1 0.2 0.0\ndog 0.4 -0.2 0.1 0.1\non -0.3 0.3 0.0 0.2\nmat 0.0 0.1 -0.4 0.3\nrug 0.1 0.0 -0.3 0.4\n")

function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "command failed (${rc}): ${ARGV}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

set(common --train ${WORK}/corpus.txt --embeddings ${WORK}/vectors.txt --d-model 8 --layers 1
           --heads 2 --context 8 --batch 4 --steps 30 --warmup 5 --seed 3 --quiet)
run(${WORDSPACE} lm-train ${common} --out ${WORK}/full.lm --threads 1 --valid ${WORK}/corpus.txt --json)
string(REGEX MATCH "\\{\"output\":\"[^\"]*full.lm\",\"steps\":30,.*\"tokens_per_sec\":[0-9.e+-]+.*\"final_loss\":[0-9.e+-]+.*\"valid_perplexity\":[0-9.e+-]+.*\\}" json "${out}")
if(json STREQUAL "")
  message(FATAL_ERROR "no JSON summary with output, steps, tokens_per_sec, final_loss, valid_perplexity:\n${out}")
endif()

run(${WORDSPACE} lm-train ${common} --out ${WORK}/part.lm --threads 1 --stop-after 12)
run(${WORDSPACE} lm-train --train ${WORK}/corpus.txt --resume ${WORK}/part.lm --out ${WORK}/resumed.lm --threads 2 --quiet)
file(SHA256 ${WORK}/full.lm full_hash)
file(SHA256 ${WORK}/resumed.lm resumed_hash)
if(NOT full_hash STREQUAL resumed_hash)
  message(FATAL_ERROR "resumed checkpoint differs from the uninterrupted run's")
endif()

run(${WORDSPACE} lm-generate --model ${WORK}/full.lm --prompt "the cat" --top-k 3 --length 5 --seed 2)
if(NOT out MATCHES "next word after \"the cat\":\n +1\\. [a-z<>/]+ +0\\.[0-9]+\n +2\\. .*\n +3\\. .*sample .*:\n +the cat [a-z<>/]+ [a-z<>/]+ [a-z<>/]+ [a-z<>/]+ [a-z<>/]+\n")
  message(FATAL_ERROR "unexpected lm-generate output:\n${out}")
endif()
set(first "${out}")
run(${WORDSPACE} lm-generate --model ${WORK}/full.lm --prompt "the cat" --top-k 3 --length 5 --seed 2)
if(NOT out STREQUAL first)
  message(FATAL_ERROR "lm-generate is not reproducible for a seed")
endif()

# The modern block: trains, reports its parts in the JSON line, resumes exactly, and the other
# commands open its checkpoint. --biases yes turns one part back on.
run(${WORDSPACE} lm-train ${common} --block modern --out ${WORK}/modern.lm --threads 1 --json)
if(NOT out MATCHES "\"norm\":\"rmsnorm\",\"positions\":\"rope\",\"ffn\":\"swiglu\",\"ff_hidden\":16,\"biases\":false")
  message(FATAL_ERROR "the JSON line does not name the modern block's parts:\n${out}")
endif()
run(${WORDSPACE} lm-train ${common} --block modern --out ${WORK}/modern-part.lm --threads 1 --stop-after 12)
run(${WORDSPACE} lm-train --train ${WORK}/corpus.txt --resume ${WORK}/modern-part.lm --out ${WORK}/modern-resumed.lm --threads 2 --quiet)
file(SHA256 ${WORK}/modern.lm modern_hash)
file(SHA256 ${WORK}/modern-resumed.lm modern_resumed_hash)
if(NOT modern_hash STREQUAL modern_resumed_hash)
  message(FATAL_ERROR "the modern block's resumed checkpoint differs from the uninterrupted run's")
endif()
run(${WORDSPACE} lm-generate --model ${WORK}/modern.lm --prompt "the cat" --top-k 3 --length 3 --seed 2)
run(${WORDSPACE} inspect contributions ${WORK}/modern.lm --text "the cat sat on" --json)
run(${WORDSPACE} lm-train ${common} --block modern --biases yes --ffn gelu --out ${WORK}/mixed.lm --threads 1 --json)
if(NOT out MATCHES "\"norm\":\"rmsnorm\",\"positions\":\"rope\",\"ffn\":\"gelu\",\"ff_hidden\":32,\"biases\":true")
  message(FATAL_ERROR "--biases yes --ffn gelu did not override --block modern:\n${out}")
endif()

# Errors: exit 1 with a message naming the problem, nothing written; usage errors exit 2.
function(expect_exit code pattern)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL ${code} OR NOT err MATCHES "${pattern}")
    message(FATAL_ERROR "${ARGN}: exit ${rc} (wanted ${code}), stderr: ${err}")
  endif()
endfunction()
file(WRITE ${WORK}/junk.lm "not a checkpoint at all")
expect_exit(1 "error: .*junk.lm: this is text, not a language-model checkpoint" ${WORDSPACE} lm-generate --model ${WORK}/junk.lm --prompt x)
expect_exit(1 "error: .*no-such.lm" ${WORDSPACE} lm-generate --model ${WORK}/no-such.lm --prompt x)
expect_exit(1 "error: .*no-such-corpus.txt" ${WORDSPACE} lm-train --train ${WORK}/no-such-corpus.txt
            --out ${WORK}/never.lm --steps 1 --quiet)
expect_exit(1 "error: .*junk.lm: this is text, not a language-model checkpoint" ${WORDSPACE} lm-train --train ${WORK}/corpus.txt
            --resume ${WORK}/junk.lm --out ${WORK}/never.lm --quiet)
expect_exit(2 "error: .*budget" ${WORDSPACE} lm-train --train ${WORK}/corpus.txt --out ${WORK}/never.lm --quiet)
expect_exit(2 "error: .*--heads" ${WORDSPACE} lm-train --train ${WORK}/corpus.txt --out ${WORK}/never.lm
            --steps 1 --d-model 10 --heads 3 --quiet)
expect_exit(2 "error: .*--input and --output" ${WORDSPACE} lm-train --steps 1)
expect_exit(2 "error: .*--norm must be layernorm or rmsnorm, not 'batchnorm'" ${WORDSPACE} lm-train
            --train ${WORK}/corpus.txt --out ${WORK}/never.lm --steps 1 --norm batchnorm --quiet)
expect_exit(2 "error: --precision: .*fp8" ${WORDSPACE} lm-generate ${WORK}/full.lm --prompt x --precision fp8)
run(${WORDSPACE} lm-score ${WORK}/modern.lm --text "the cat sat" --precision auto)
expect_exit(2 "error: .*--block must be classic or modern" ${WORDSPACE} lm-train
            --train ${WORK}/corpus.txt --out ${WORK}/never.lm --steps 1 --block gpt5 --quiet)
expect_exit(2 "error: .*head size 3 .*must be even" ${WORDSPACE} lm-train --train ${WORK}/corpus.txt
            --out ${WORK}/never.lm --steps 1 --d-model 6 --heads 2 --positions rope --quiet)
if(EXISTS ${WORK}/never.lm)
  message(FATAL_ERROR "a failed lm-train left ${WORK}/never.lm")
endif()
# Training on other text than the checkpoint's is refused.
file(WRITE ${WORK}/other.txt "the cat sat on the mat\nthe dog ran\n")
expect_exit(1 "error: .*training text differs" ${WORDSPACE} lm-train --train ${WORK}/other.txt
            --resume ${WORK}/part.lm --out ${WORK}/never.lm --quiet)
