/* Building IR blocks: the emitters frontends call. */
#include "ir/ir.h"

#include <string.h>

void ir_block_init(IrBlock *blk)
{
    blk->n_ops = 0;
    blk->n_temps = 0;
    blk->n_labels = 0;
    blk->cur_pc_off = 0;
    blk->overflow = false;
}

uint16_t ir_new_temp(IrBlock *blk)
{
    if (blk->n_temps >= IR_MAX_TEMPS) {
        /* Reuse the last temp rather than write out of the slot file; the
         * frontend sees overflow and discards this TB's tail. */
        blk->overflow = true;
        return IR_FIRST_TEMP + IR_MAX_TEMPS - 1;
    }
    return (uint16_t)(IR_FIRST_TEMP + blk->n_temps++);
}

unsigned ir_new_label(IrBlock *blk)
{
    if (blk->n_labels >= IR_MAX_LABELS) {
        blk->overflow = true;
        return IR_MAX_LABELS - 1;
    }
    return blk->n_labels++;
}

bool ir_has_room(const IrBlock *blk, unsigned n, unsigned t)
{
    return !blk->overflow && blk->n_ops + n <= IR_MAX_OPS &&
           blk->n_temps + t <= IR_MAX_TEMPS &&
           blk->n_labels + 4 <= IR_MAX_LABELS;
}

IrOp *ir_emit(IrBlock *blk, IrOpcode opc)
{
    IrOp *op;
    if (blk->n_ops >= IR_MAX_OPS) {
        blk->overflow = true;
        op = &blk->overflow_sink;
    } else {
        op = &blk->ops[blk->n_ops++];
    }
    memset(op, 0, sizeof(*op));
    op->opc = (uint8_t)opc;
    op->pc_off = blk->cur_pc_off;
    return op;
}

void ir_mov(IrBlock *b, uint16_t d, uint16_t a)
{
    IrOp *op = ir_emit(b, IR_MOV);
    op->dst = d;
    op->a = a;
}

void ir_movi(IrBlock *b, uint16_t d, int64_t imm)
{
    IrOp *op = ir_emit(b, IR_MOVI);
    op->dst = d;
    op->imm = imm;
}

void ir_binop(IrBlock *b, IrOpcode opc, uint16_t d, uint16_t a, uint16_t s)
{
    IrOp *op = ir_emit(b, opc);
    op->dst = d;
    op->a = a;
    op->b = s;
}

void ir_binopi(IrBlock *b, IrOpcode opc, uint16_t d, uint16_t a, int64_t imm)
{
    IrOp *op = ir_emit(b, opc);
    op->dst = d;
    op->a = a;
    op->imm = imm;
}

void ir_unop(IrBlock *b, IrOpcode opc, uint16_t d, uint16_t a)
{
    ir_binop(b, opc, d, a, 0);
}

/* d = a (op, refined by cond) s */
static void emit_cond_binop(IrBlock *b, IrOpcode opc, uint8_t cond, uint16_t d,
                            uint16_t a, uint16_t s)
{
    IrOp *op = ir_emit(b, opc);
    op->cond = cond;
    op->dst = d;
    op->a = a;
    op->b = s;
}

void ir_farith64(IrBlock *b, IrFpOp fop, uint16_t d, uint16_t a, uint16_t s)
{
    emit_cond_binop(b, IR_FARITH64, (uint8_t)fop, d, a, s);
}

void ir_ldcpu32(IrBlock *b, uint16_t d, size_t offset)
{
    IrOp *op = ir_emit(b, IR_LDCPU32);
    op->dst = d;
    op->imm = (int64_t)offset;
}

void ir_setcond(IrBlock *b, IrCond c, uint16_t d, uint16_t a, uint16_t s)
{
    emit_cond_binop(b, IR_SETCOND, (uint8_t)c, d, a, s);
}

void ir_setcondi(IrBlock *b, IrCond c, uint16_t d, uint16_t a, int64_t imm)
{
    IrOp *op = ir_emit(b, IR_SETCONDI);
    op->cond = (uint8_t)c;
    op->dst = d;
    op->a = a;
    op->imm = imm;
}

void ir_select(IrBlock *b, uint16_t d, uint16_t cond, uint16_t t, uint16_t f)
{
    IrOp *op = ir_emit(b, IR_SELECT);
    op->dst = d;
    op->a = cond;
    op->b = t;
    op->c = f;
}

void ir_ld(IrBlock *b, IrMemOp mo, uint16_t d, uint16_t base, int64_t off)
{
    IrOp *op = ir_emit(b, IR_LD);
    op->memop = (uint8_t)mo;
    op->dst = d;
    op->a = base;
    op->imm = off;
}

void ir_st(IrBlock *b, IrMemOp mo, uint16_t val, uint16_t base, int64_t off)
{
    IrOp *op = ir_emit(b, IR_ST);
    op->memop = (uint8_t)mo;
    op->a = base;
    op->b = val;
    op->imm = off;
}

void ir_label(IrBlock *b, unsigned label)
{
    ir_emit(b, IR_LABEL)->imm = label;
}

void ir_br(IrBlock *b, unsigned label)
{
    ir_emit(b, IR_BR)->imm = label;
}

void ir_skip(IrBlock *b, unsigned label)
{
    ir_emit(b, IR_SKIP)->imm = label;
}

void ir_brcond(IrBlock *b, IrCond c, uint16_t a, uint16_t s, unsigned label)
{
    IrOp *op = ir_emit(b, IR_BRCOND);
    op->cond = (uint8_t)c;
    op->a = a;
    op->b = s;
    op->imm = label;
}

void ir_brcondi(IrBlock *b, IrCond c, uint16_t a, int64_t imm, unsigned label)
{
    IrOp *op = ir_emit(b, IR_BRCONDI);
    op->cond = (uint8_t)c;
    op->a = a;
    op->imm = label;
    op->imm2 = imm;
}

void ir_expect(IrBlock *b, IrExpect expect)
{
    if (b->n_ops > 0)
        b->ops[b->n_ops - 1].expect = (uint8_t)expect;
}

void ir_call(IrBlock *b, uint16_t helper, uint16_t d, uint16_t a, uint16_t s,
             uint16_t c, int64_t imm)
{
    IrOp *op = ir_emit(b, IR_CALL);
    op->helper = helper;
    op->dst = d;
    op->a = a;
    op->b = s;
    op->c = c;
    op->imm = imm;
}

void ir_goto_tb(IrBlock *b, unsigned exit_slot, uint64_t pc)
{
    IrOp *op = ir_emit(b, IR_GOTO_TB);
    op->cond = (uint8_t)exit_slot;
    op->imm = (int64_t)pc;
}

void ir_exit_tb(IrBlock *b, uint64_t pc)
{
    ir_emit(b, IR_EXIT_TB)->imm = (int64_t)pc;
}

void ir_jump_ind(IrBlock *b, uint16_t a)
{
    ir_emit(b, IR_JUMP_IND)->a = a;
}

void ir_raise(IrBlock *b, int64_t cause)
{
    ir_raise_tval(b, cause, 0);
}

void ir_raise_tval(IrBlock *b, int64_t cause, int64_t tval)
{
    IrOp *op = ir_emit(b, IR_RAISE);
    op->imm = cause;
    op->imm2 = tval;
}

bool ir_op_writes_dst(const IrOp *op)
{
    switch (op->opc) {
    case IR_NOP: case IR_ST: case IR_LABEL: case IR_BR: case IR_SKIP:
    case IR_BRCOND:
    case IR_BRCONDI: case IR_GOTO_TB: case IR_EXIT_TB: case IR_JUMP_IND:
    case IR_EXIT_IND: case IR_RAISE:
        return false;
    case IR_CALL:
        return !(target_helper_info(op->helper)->flags & IR_HELPER_NO_RESULT);
    default:
        return true;
    }
}

bool ir_op_ends_flow(const IrOp *op)
{
    switch (op->opc) {
    case IR_BR: case IR_GOTO_TB: case IR_EXIT_TB: case IR_JUMP_IND:
    case IR_EXIT_IND: case IR_RAISE:
        return true;
    default:
        return false;
    }
}
