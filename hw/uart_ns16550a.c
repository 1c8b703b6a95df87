/*
 * NS16550A: transmit is immediate (THR always empty), receive goes through
 * a 4 KiB ring so that pasted text is not lost while the guest is busy.
 */
#include "hw/uart_ns16550a.h"

#include <string.h>

enum {
    REG_RBR_THR = 0, REG_IER = 1, REG_IIR_FCR = 2, REG_LCR = 3, REG_MCR = 4,
    REG_LSR = 5, REG_MSR = 6, REG_SCR = 7,
};
#define IER_RDI 0x01
#define IER_THRI 0x02
#define IIR_NONE 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_FIFO 0xc0
#define LCR_DLAB 0x80
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define MCR_LOOP 0x10

void uart_init(Uart16550 *u, CharBackend out, IrqLine irq)
{
    memset(u, 0, sizeof(*u));
    u->out = out;
    u->irq = irq;
}

static uint8_t iir(const Uart16550 *u)
{
    uint8_t fifo = (u->fcr & 1) ? IIR_FIFO : 0;
    if ((u->ier & IER_RDI) && u->rx_open && u->rx_count)
        return IIR_RDI | fifo;
    if ((u->ier & IER_THRI) && u->thre_pending)
        return IIR_THRI | fifo;
    return IIR_NONE | fifo;
}

static void update_irq(Uart16550 *u)
{
    irq_set(&u->irq, !(iir(u) & IIR_NONE));
}

size_t uart_receive(Uart16550 *u, const uint8_t *buf, size_t len)
{
    size_t n = 0;
    while (n < len && u->rx_count < UART_RX_BUFFER) {
        u->rx[(u->rx_head + u->rx_count) % UART_RX_BUFFER] = buf[n++];
        u->rx_count++;
    }
    update_irq(u);
    return n;
}

static uint8_t pop_rx(Uart16550 *u)
{
    if (!u->rx_count || !u->rx_open)
        return 0;
    uint8_t ch = u->rx[u->rx_head];
    u->rx_head = (u->rx_head + 1) % UART_RX_BUFFER;
    u->rx_count--;
    return ch;
}

uint64_t uart_read(void *opaque, uint64_t offset, unsigned size)
{
    Uart16550 *u = opaque;
    uint8_t v = 0;
    switch (offset) {
    case REG_RBR_THR:
        v = (u->lcr & LCR_DLAB) ? u->dll : pop_rx(u);
        break;
    case REG_IER: v = (u->lcr & LCR_DLAB) ? u->dlm : u->ier; break;
    case REG_IIR_FCR:
        v = iir(u);
        /* Reading IIR acknowledges the THR-empty interrupt. */
        if ((v & 0x0f) == IIR_THRI)
            u->thre_pending = false;
        break;
    case REG_LCR: v = u->lcr; break;
    case REG_MCR: v = u->mcr; break;
    case REG_LSR:
        v = LSR_THRE | LSR_TEMT | (u->rx_count && u->rx_open ? LSR_DR : 0);
        break;
    case REG_MSR: v = 0xb0; break;   /* DCD, DSR, CTS asserted */
    case REG_SCR: v = u->scr; break;
    default: break;
    }
    update_irq(u);
    return v;
}

static void transmit(Uart16550 *u, uint8_t ch)
{
    if (u->mcr & MCR_LOOP)
        uart_receive(u, &ch, 1);
    else if (u->out.write)
        u->out.write(u->out.opaque, &ch, 1);
    u->thre_pending = true;
}

void uart_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Uart16550 *u = opaque;
    uint8_t v = (uint8_t)value;
    switch (offset) {
    case REG_RBR_THR:
        if (u->lcr & LCR_DLAB)
            u->dll = v;
        else
            transmit(u, v);
        break;
    case REG_IER:
        if (u->lcr & LCR_DLAB) {
            u->dlm = v;
        } else {
            /* Enabling THRI with an empty THR raises it at once. */
            if ((v & IER_THRI) && !(u->ier & IER_THRI))
                u->thre_pending = true;
            if (v & IER_RDI)
                u->rx_open = true;
            u->ier = v & 0x0f;
        }
        break;
    case REG_IIR_FCR:
        u->fcr = v & 0xc9;
        if ((v & 2) && u->rx_open) {   /* clear the receive FIFO */
            u->rx_head = 0;
            u->rx_count = 0;
        }
        break;
    case REG_LCR: u->lcr = v; break;
    case REG_MCR: u->mcr = v & 0x1f; break;
    case REG_SCR: u->scr = v; break;
    default: break;
    }
    update_irq(u);
}
