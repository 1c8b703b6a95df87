/* SiFive test device: 0x5555 powers off (exit 0), 0x3333 | code << 16
 * fails with that exit code, 0x7777 resets the machine. */
#include "hw/syscon.h"

#include "hw/riscv/virt.h"

enum { TEST_FAIL = 0x3333, TEST_PASS = 0x5555, TEST_RESET = 0x7777 };

uint64_t syscon_read(void *opaque, uint64_t offset, unsigned size)
{
    return 0;
}

void syscon_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Syscon *s = opaque;
    if (offset != 0)
        return;
    switch (value & 0xffff) {
    case TEST_PASS: machine_request_shutdown(s->machine, 0); break;
    case TEST_FAIL: machine_request_shutdown(s->machine,
                                             (int)((value >> 16) & 0xffff)); break;
    case TEST_RESET: machine_request_reset(s->machine); break;
    default: break;
    }
}
