/*
 * Bare-metal: all of a 3 GiB guest RAM holds what was written to it (run
 * with -m 3G).  Under Node and in the browser that RAM reaches past 2 GiB
 * of linear memory, where pointers turn negative in JavaScript and signed
 * 32-bit sums overflow.  One 4 KiB page in 16 gets two words, at offsets
 * that vary from page to page, with values from their own address; then
 * all are read back, in the other direction.  Pages that alias one
 * another, or reads and writes that reach different host bytes, give
 * wrong values.  Exit code 0 when all match, else the number of bad words
 * (at most 100).  Built with bench/baremetal's start-up and link script.
 */
#include <stdint.h>

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (3ull << 30)
#define FIRST (RAM_BASE + (16ull << 20))   /* above the program and stack */
#define PAGE 4096ull
#define STRIDE (64ull << 10)   /* every page took 6 s natively, in faults */

static volatile uint64_t *word_a(uint64_t page)
{
    return (volatile uint64_t *)(page + ((page >> 9) & 0x7f8));   /* low half */
}

static volatile uint64_t *word_b(uint64_t page)
{
    return (volatile uint64_t *)(page + PAGE / 2 + ((page >> 15) & 0x7f8));
}

static uint64_t value_of(uint64_t addr)
{
    return addr * 0x9e3779b97f4a7c15ull ^ (addr >> 29);
}

int main(void)
{
    for (uint64_t page = FIRST; page < RAM_BASE + RAM_SIZE; page += STRIDE) {
        *word_a(page) = value_of((uint64_t)word_a(page));
        *word_b(page) = ~value_of((uint64_t)word_b(page));
    }
    unsigned bad = 0;
    for (uint64_t page = RAM_BASE + RAM_SIZE - STRIDE; page >= FIRST; page -= STRIDE) {
        bad += *word_a(page) != value_of((uint64_t)word_a(page));
        bad += *word_b(page) != ~value_of((uint64_t)word_b(page));
    }
    return bad > 100 ? 100 : (int)bad;
}
