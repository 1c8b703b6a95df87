/*
 * A small peephole pass over one TB's IR.  Frontends already emit one op per
 * simple guest instruction, so the pass only removes what is provably
 * useless: moves of a slot onto itself, adds of zero become moves, and ops
 * whose destination is a temporary that nothing reads.
 */
#include "ir/ir.h"

#include <string.h>

/* Ops without side effects beyond writing dst (safe to delete if unread).
 * RISC-V division never traps, so only memory and helpers stay. */
static bool op_is_pure(const IrOp *op)
{
    return ir_op_writes_dst(op) && op->opc != IR_LD && op->opc != IR_CALL;
}

static void mark_reads(const IrOp *op, bool *read)
{
    read[op->a] = read[op->b] = read[op->c] = true;
}

void ir_optimize(IrBlock *blk)
{
    bool temp_read[IR_SLOT_COUNT];
    memset(temp_read, 0, sizeof(temp_read));

    for (unsigned i = 0; i < blk->n_ops; i++) {
        IrOp *op = &blk->ops[i];
        if ((op->opc == IR_ADDI || op->opc == IR_ORI || op->opc == IR_XORI) &&
            op->imm == 0)
            op->opc = IR_MOV;
        if (op->opc == IR_MOV && op->dst == op->a)
            op->opc = IR_NOP;
        mark_reads(op, temp_read);
    }
    /* Temps are TB-private, so a temp nobody reads is dead everywhere. */
    for (unsigned i = 0; i < blk->n_ops; i++) {
        IrOp *op = &blk->ops[i];
        if (op_is_pure(op) && op->dst >= IR_FIRST_TEMP && !temp_read[op->dst])
            op->opc = IR_NOP;
    }
}
