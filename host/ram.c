/*
 * Guest RAM must read as zero, but clearing it by hand touches every host
 * page of it: under V8 that faults in all of linear memory behind guest
 * RAM (about a second for 256 MiB at startup) although a booted Linux
 * uses a small part.  Both hosts can hand out zero pages without touching
 * them.
 */
#include "host/ram.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RAM_ALIGN 4096u

#ifdef __EMSCRIPTEN__
#include <emscripten/heap.h>
#include <unistd.h>

size_t host_memory_limit(void)
{
    return emscripten_get_heap_max();
}

/* dlmalloc takes less than 2 GiB from sbrk in one piece (HALF_MAX_SIZE_T
 * on a 32-bit target), so it cannot hold 2 GiB of RAM or more, though
 * linear memory goes up to 4 GiB.  RAM from RAM_FROM_BREAK up comes
 * straight from the break instead, page-aligned, in steps that sbrk
 * takes: fresh memory, so zero, and contiguous because nothing else runs
 * between the steps.  dlmalloc cannot take such a block back, so it is
 * never freed: a process holds one machine that big (the Node front door
 * makes one; the page starts a new worker for each). */
#define RAM_FROM_BREAK (1u << 30)
#define BREAK_STEP (256u << 20)

static void *ram_from_break(size_t size)
{
    uintptr_t brk = (uintptr_t)sbrk(0);
    uintptr_t start = (brk + RAM_ALIGN - 1) & ~(uintptr_t)(RAM_ALIGN - 1);
    if (sbrk((intptr_t)(start - brk)) == (void *)-1)
        return NULL;
    for (size_t done = 0; done < size; ) {
        size_t step = size - done < BREAK_STEP ? size - done : BREAK_STEP;
        if ((uintptr_t)sbrk((intptr_t)step) != start + done)
            return NULL;   /* out of linear memory (the break stays moved) */
        done += step;
    }
    return (void *)start;
}

/* Emscripten's dlmalloc never gives memory back (MORECORE_CANNOT_TRIM), so
 * linear memory at or above the break has never been handed out: it is as
 * memory.grow or the initial memory left it, zero.  Only the part of the
 * block below the old break may hold old data. */
void *host_ram_alloc(size_t size)
{
    if (size >= RAM_FROM_BREAK)
        return ram_from_break(size);
    uintptr_t fresh = (uintptr_t)sbrk(0);
    uint8_t *ram = aligned_alloc(RAM_ALIGN, size);
    if (!ram)
        return NULL;
    uintptr_t start = (uintptr_t)ram, end = start + size;
    uintptr_t dirty_end = end < fresh ? end : fresh;
    if (start < dirty_end)
        memset(ram, 0, dirty_end - start);
    return ram;
}

void host_ram_free(void *ram, size_t size)
{
    if (size < RAM_FROM_BREAK)
        free(ram);
}

void host_ram_clear(void *ram, size_t size)
{
    memset(ram, 0, size);   /* linear memory cannot drop pages */
}
#else
#include <sys/mman.h>

size_t host_memory_limit(void)
{
    return 0;
}

/* Anonymous mappings are zero pages until written. */
void *host_ram_alloc(size_t size)
{
    void *ram = mmap(NULL, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return ram == MAP_FAILED ? NULL : ram;
}

void host_ram_free(void *ram, size_t size)
{
    if (ram)
        munmap(ram, size);
}

/* Dropped pages of a private anonymous mapping read as zero again, and
 * only the ones the guest touches next are faulted back in. */
void host_ram_clear(void *ram, size_t size)
{
    if (madvise(ram, size, MADV_DONTNEED) != 0)
        memset(ram, 0, size);
}
#endif
