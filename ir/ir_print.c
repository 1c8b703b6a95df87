/* Text dump of IR for `-d op`: one op per line, slots as x/f/t names. */
#include "ir/ir.h"

#include <inttypes.h>

static const char *const opcode_names[] = {
#define IR_NAME(name, form) #name,
    IR_OPCODES(IR_NAME)
#undef IR_NAME
};

static const char *const opcode_forms[] = {
#define IR_FORM(name, form) form,
    IR_OPCODES(IR_FORM)
#undef IR_FORM
};

static const char *const fp_op_names[] = { "add", "sub", "mul", "div" };
static const char *const cond_names[] = { "eq", "ne", "lt", "ge", "ltu",
                                          "geu" };

const char *ir_opcode_name(unsigned opc)
{
    return opc < IR_OPCODE_COUNT ? opcode_names[opc] : "?";
}

/* Slots print as guest register names for RISC-V-sized global files:
 * r0..r31, f0..f31, then t0.. for temporaries. */
static void print_slot(FILE *out, uint16_t slot)
{
    if (slot < 32)
        fprintf(out, "r%u", slot);
    else if (slot < IR_FIRST_TEMP)
        fprintf(out, "f%u", slot - 32);
    else
        fprintf(out, "t%u", slot - IR_FIRST_TEMP);
}

void ir_print_op(FILE *out, const IrOp *op)
{
    const char *form = op->opc < IR_OPCODE_COUNT ? opcode_forms[op->opc] : "";
    fprintf(out, " %-9s", ir_opcode_name(op->opc));
    if (op->opc == IR_SETCOND || op->opc == IR_SETCONDI ||
        op->opc == IR_BRCOND || op->opc == IR_BRCONDI)
        fprintf(out, " %s", op->cond < IR_COND_COUNT ? cond_names[op->cond]
                                                     : "?");
    if (op->opc == IR_LD || op->opc == IR_ST)
        fprintf(out, " %s%u", (op->memop & IR_MO_SIGNED) ? "s" : "u",
                8u << (op->memop & IR_MO_SIZE_MASK));
    if (op->opc == IR_CALL)
        fprintf(out, " h%u", op->helper);
    if (op->opc == IR_FARITH64)
        fprintf(out, " %s", op->cond < IR_FP_OP_COUNT ? fp_op_names[op->cond]
                                                       : "?");
    for (const char *f = form; *f; f++) {
        switch (*f) {
        case 'd': fputc(' ', out); print_slot(out, op->dst); break;
        case 'a': fputc(' ', out); print_slot(out, op->a); break;
        case 'b': fputc(' ', out); print_slot(out, op->b); break;
        case 'c': fputc(' ', out); print_slot(out, op->c); break;
        case 'i': fprintf(out, " $0x%" PRIx64, (uint64_t)op->imm); break;
        case 'L': fprintf(out, " L%" PRId64, op->imm); break;
        default: break;
        }
    }
    if (op->opc == IR_BRCONDI)
        fprintf(out, " $0x%" PRIx64, (uint64_t)op->imm2);
    if (op->opc == IR_GOTO_TB)
        fprintf(out, " [exit %u]", op->cond);
    fputc('\n', out);
}

void ir_print_block(FILE *out, const IrBlock *blk, uint64_t tb_pc)
{
    uint16_t last_pc_off = 0xffff;
    for (unsigned i = 0; i < blk->n_ops; i++) {
        const IrOp *op = &blk->ops[i];
        if (op->pc_off != last_pc_off) {
            fprintf(out, " ---- %016" PRIx64 "\n", tb_pc + op->pc_off);
            last_pc_off = op->pc_off;
        }
        ir_print_op(out, op);
    }
}
