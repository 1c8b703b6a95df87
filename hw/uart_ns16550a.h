/* NS16550A UART: the guest console. */
#ifndef WASMU_UART_H
#define WASMU_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/char.h"
#include "hw/irq.h"

enum { UART_RX_BUFFER = 4096 };

typedef struct Uart16550 {
    CharBackend out;
    IrqLine irq;
    uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
    bool thre_pending;             /* THR-empty interrupt not yet seen */
    /* The receive ring is the host's queue in front of the UART: it feeds
     * the guest only once a driver has enabled receive interrupts, so keys
     * typed during boot survive the driver's FIFO reset at start-up. */
    bool rx_open;
    uint8_t rx[UART_RX_BUFFER];    /* received bytes waiting for the guest */
    unsigned rx_head, rx_count;
} Uart16550;

void uart_init(Uart16550 *u, CharBackend out, IrqLine irq);
uint64_t uart_read(void *opaque, uint64_t offset, unsigned size);
void uart_write(void *opaque, uint64_t offset, uint64_t value, unsigned size);
/* Queue host input; returns how many bytes fit. */
size_t uart_receive(Uart16550 *u, const uint8_t *buf, size_t len);

#endif
