/* The entry point each harness defines: libFuzzer calls it, and so does
 * replay_main.c for every file of a corpus. The return value is 0. */
#ifndef UNBOX_FUZZ_H
#define UNBOX_FUZZ_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
