/* Indirect control flow, as in an interpreter: a bytecode loop whose switch
 * becomes a jump table, and calls through a table of function pointers.
 * Every step leaves its translation block through an indirect jump. */
#include "bench.h"

enum { OP_ADD, OP_XOR, OP_MUL, OP_SHR, OP_CALL, OP_LOOP, OP_END };

typedef uint64_t (*Fn)(uint64_t);
static uint64_t f_rot(uint64_t x) { return (x << 13) | (x >> 51); }
static uint64_t f_mix(uint64_t x) { return x ^ (x >> 31) ^ 0x5bd1e995u; }
static uint64_t f_neg(uint64_t x) { return ~x + 3; }
static uint64_t f_sq(uint64_t x) { return x * x + 1; }
static Fn const fns[4] = { f_rot, f_mix, f_neg, f_sq };

static const uint8_t program[] = {
    OP_ADD, 7, OP_CALL, 0, OP_XOR, 0x55, OP_MUL, 3, OP_CALL, 1, OP_SHR, 1,
    OP_ADD, 11, OP_CALL, 2, OP_MUL, 5, OP_CALL, 3, OP_XOR, 0x99, OP_LOOP, 0,
    OP_END, 0,
};

static uint64_t run(const uint8_t *code, uint64_t acc, uint32_t rounds)
{
    const uint8_t *pc = code;
    for (;;) {
        uint8_t op = pc[0], arg = pc[1];
        pc += 2;
        switch (op) {
        case OP_ADD: acc += arg; break;
        case OP_XOR: acc ^= arg; break;
        case OP_MUL: acc *= arg; break;
        case OP_SHR: acc = (acc >> arg) | (acc << 63); break;
        case OP_CALL: acc = fns[arg & 3](acc); break;
        case OP_LOOP: if (--rounds) pc = code; break;
        default: return acc;
        }
    }
}

int main(void)
{
    uint64_t acc = run(program, 0x1234, 8000000);
    return check(acc, BENCH_DISPATCH_EXPECT);
}
