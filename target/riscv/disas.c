/*
 * -d in_asm: prints each instruction's encoding, its expansion when it is
 * compressed, and the major opcode class.  (A full mnemonic printer is left
 * for later; objdump on the guest binary gives names.)
 */
#include <stdio.h>

#include "exec/exec.h"
#include "exec/softmmu.h"
#include "target/riscv/decode.h"

static const char *opcode_class(uint32_t insn)
{
    switch (insn_opcode(insn)) {
    case OPC_LOAD: return "load";
    case OPC_LOAD_FP: return "load-fp";
    case OPC_MISC_MEM: return "fence";
    case OPC_OP_IMM: return "op-imm";
    case OPC_AUIPC: return "auipc";
    case OPC_OP_IMM_32: return "op-imm-32";
    case OPC_STORE: return "store";
    case OPC_STORE_FP: return "store-fp";
    case OPC_AMO: return "amo";
    case OPC_OP: return "op";
    case OPC_LUI: return "lui";
    case OPC_OP_32: return "op-32";
    case OPC_MADD: case OPC_MSUB: case OPC_NMSUB: case OPC_NMADD: return "fma";
    case OPC_OP_FP: return "op-fp";
    case OPC_BRANCH: return "branch";
    case OPC_JALR: return "jalr";
    case OPC_JAL: return "jal";
    case OPC_SYSTEM: return "system";
    default: return "illegal";
    }
}

unsigned target_disas(CpuCommon *cpu, uint64_t pc, char *buf, size_t len)
{
    uint16_t lo, hi;
    bool saved = cpu->exc_pending;
    if (!mmu_fetch16(cpu, pc, &lo)) {
        cpu->exc_pending = saved;
        snprintf(buf, len, "??");
        return 2;
    }
    if ((lo & 3) != 3) {
        uint32_t full = rvc_expand(lo);
        snprintf(buf, len, "%04x      c -> %08x %s", lo, full,
                 full ? opcode_class(full) : "illegal");
        return 2;
    }
    if (!mmu_fetch16(cpu, pc + 2, &hi)) {
        cpu->exc_pending = saved;
        snprintf(buf, len, "%04x????", lo);
        return 4;
    }
    uint32_t insn = lo | (uint32_t)hi << 16;
    snprintf(buf, len, "%08x  %s rd=x%u rs1=x%u rs2=x%u", insn,
             opcode_class(insn), insn_rd(insn), insn_rs1(insn), insn_rs2(insn));
    return 4;
}
