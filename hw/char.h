/*
 * Character backend: where a serial console's output goes.  The host front
 * door (posix terminal, Node, Web Worker) provides it; input travels the
 * other way through machine_console_input().
 */
#ifndef WASMU_CHAR_H
#define WASMU_CHAR_H

#include <stddef.h>
#include <stdint.h>

typedef struct CharBackend {
    void *opaque;
    void (*write)(void *opaque, const uint8_t *buf, size_t len);
} CharBackend;

#endif
