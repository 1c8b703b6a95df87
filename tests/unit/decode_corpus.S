# Every RV64GC instruction, assembled for tests/suites/decode.sh, which
# compares the emulator's disassembler with objdump on the result.
    .text
    .option norvc
# RV64I
    lui a0, 0x12345
    lui t6, 0xfffff
    auipc sp, 0
    auipc s11, 0x80000
1:  jal ra, 1b
    jal zero, 2f
    jal t0, 0x7fffe
2:  jalr ra, 0(a0)
    jalr zero, -2048(t6)
    jalr a1, 2047(s0)
    beq a0, a1, 1b
    bne zero, t6, 2b
    blt s0, s1, 3f
    bge a7, t3, 3f
    bltu ra, sp, 1b
    bgeu gp, tp, 3f
3:  lb a0, 0(a1)
    lh t0, -1(sp)
    lw s2, 2047(gp)
    ld a3, -2048(a4)
    lbu s3, 17(s4)
    lhu t3, 100(t4)
    lwu t5, -8(s9)
    sb a0, 0(a1)
    sh t0, -1(sp)
    sw s2, 2047(gp)
    sd a3, -2048(a4)
    addi a0, a1, 1
    addi zero, zero, 0
    addi sp, sp, -2048
    slti t0, t1, -5
    sltiu t2, s0, 2047
    xori s1, a0, -1
    ori a2, a3, 0x7f
    andi a4, a5, 255
    slli a6, a7, 0
    slli s2, s3, 63
    srli s4, s5, 1
    srli s6, s7, 32
    srai s8, s9, 63
    srai s10, s11, 7
    add t3, t4, t5
    sub t6, zero, ra
    sll a0, a1, a2
    slt a3, a4, a5
    sltu a6, a7, s2
    xor s3, s4, s5
    srl s6, s7, s8
    sra s9, s10, s11
    or t0, t1, t2
    and s0, s1, a0
    addiw a0, a1, -1
    addiw t0, t0, 2047
    slliw a2, a3, 31
    srliw a4, a5, 0
    sraiw a6, a7, 17
    addw s2, s3, s4
    subw s5, s6, s7
    sllw s8, s9, s10
    srlw s11, t3, t4
    sraw t5, t6, ra
# fences and system
    fence
    fence rw, w
    fence i, o
    fence.tso
    fence.i
    ecall
    ebreak
    sret
    mret
    wfi
    sfence.vma
    sfence.vma a0
    sfence.vma a0, a1
    sfence.vma zero, t0
    csrrw a0, mstatus, a1
    csrrw zero, satp, t0
    csrrs a0, sstatus, zero
    csrrs t1, mhartid, zero
    csrrc a2, mie, a3
    csrrwi a0, fflags, 3
    csrrsi zero, frm, 31
    csrrci a5, fcsr, 0
    csrrs a0, cycle, zero
    csrrs a0, time, zero
    csrrs a0, instret, zero
    csrrw a0, stvec, a1
    csrrw a0, sepc, a1
    csrrw a0, scause, a1
    csrrw a0, stval, a1
    csrrw a0, sip, a1
    csrrw a0, sie, a1
    csrrw a0, sscratch, a1
    csrrw a0, scounteren, a1
    csrrw a0, misa, a1
    csrrw a0, medeleg, a1
    csrrw a0, mideleg, a1
    csrrw a0, mtvec, a1
    csrrw a0, mepc, a1
    csrrw a0, mcause, a1
    csrrw a0, mtval, a1
    csrrw a0, mip, a1
    csrrw a0, mscratch, a1
    csrrw a0, mcounteren, a1
    csrrw a0, pmpcfg0, a1
    csrrw a0, pmpcfg2, a1
    csrrw a0, pmpaddr0, a1
    csrrw a0, pmpaddr15, a1
    csrrw a0, mcycle, a1
    csrrw a0, minstret, a1
    csrrs a0, mvendorid, zero
    csrrs a0, marchid, zero
    csrrs a0, mimpid, zero
    csrrs a0, hpmcounter3, zero
    csrrs a0, hpmcounter31, zero
    csrrw a0, mhpmcounter3, a1
    csrrw a0, mhpmevent3, a1
    csrrw a0, mcountinhibit, a1
    csrrw a0, tselect, a1
    csrrw a0, tdata1, a1
    csrrw a0, 0x7c0, a1
    csrrw a0, 0x5c0, a1
# M
    mul a0, a1, a2
    mulh a3, a4, a5
    mulhsu a6, a7, s2
    mulhu s3, s4, s5
    div s6, s7, s8
    divu s9, s10, s11
    rem t3, t4, t5
    remu t6, zero, ra
    mulw a0, a1, a2
    divw a3, a4, a5
    divuw a6, a7, s2
    remw s3, s4, s5
    remuw s6, s7, s8
# A
    lr.w a0, (a1)
    lr.w.aq a0, (a1)
    lr.w.aqrl t0, (sp)
    sc.w a0, a2, (a1)
    sc.w.rl a0, a2, (a1)
    lr.d a3, (a4)
    sc.d a3, a5, (a4)
    sc.d.aqrl a3, a5, (a4)
    amoswap.w a0, a1, (a2)
    amoadd.w a0, a1, (a2)
    amoxor.w.aq a0, a1, (a2)
    amoand.w.rl a0, a1, (a2)
    amoor.w.aqrl a0, a1, (a2)
    amomin.w a0, a1, (a2)
    amomax.w a0, a1, (a2)
    amominu.w a0, a1, (a2)
    amomaxu.w a0, a1, (a2)
    amoswap.d t0, t1, (t2)
    amoadd.d t0, t1, (t2)
    amoxor.d t0, t1, (t2)
    amoand.d t0, t1, (t2)
    amoor.d t0, t1, (t2)
    amomin.d.aq t0, t1, (t2)
    amomax.d t0, t1, (t2)
    amominu.d t0, t1, (t2)
    amomaxu.d.aqrl t0, t1, (t2)
# F and D
    flw fa0, 0(a1)
    flw ft11, -4(sp)
    fld fs0, 2040(s0)
    fsw fa0, 0(a1)
    fsd ft8, -2048(t6)
    fmadd.s fa0, fa1, fa2, fa3
    fmadd.s fa0, fa1, fa2, fa3, rne
    fmsub.s ft0, ft1, ft2, ft3, rtz
    fnmsub.s fs0, fs1, fs2, fs3, rdn
    fnmadd.s ft8, ft9, ft10, ft11, rup
    fmadd.d fa0, fa1, fa2, fa3, rmm
    fmsub.d fa0, fa1, fa2, fa3
    fnmsub.d fa0, fa1, fa2, fa3
    fnmadd.d fa0, fa1, fa2, fa3
    fadd.s fa0, fa1, fa2
    fadd.s fa0, fa1, fa2, rtz
    fsub.s fa0, fa1, fa2
    fmul.s fa0, fa1, fa2, rup
    fdiv.s fa0, fa1, fa2
    fsqrt.s fa0, fa1
    fsqrt.s fa0, fa1, rne
    fadd.d fa0, fa1, fa2
    fsub.d fa0, fa1, fa2, rdn
    fmul.d fa0, fa1, fa2
    fdiv.d fa0, fa1, fa2, rmm
    fsqrt.d fa0, fa1
    fsgnj.s fa0, fa1, fa2
    fsgnjn.s fa0, fa1, fa1
    fsgnjx.s fa0, fa1, fa2
    fsgnj.d ft0, ft1, ft2
    fsgnjn.d ft0, ft1, ft2
    fsgnjx.d ft0, ft1, ft2
    fmin.s fa0, fa1, fa2
    fmax.s fa0, fa1, fa2
    fmin.d fa0, fa1, fa2
    fmax.d fa0, fa1, fa2
    feq.s a0, fa1, fa2
    flt.s a0, fa1, fa2
    fle.s a0, fa1, fa2
    feq.d a0, fa1, fa2
    flt.d a0, fa1, fa2
    fle.d zero, fa1, fa2
    fclass.s a0, fa0
    fclass.d a0, fa0
    fmv.x.w a0, fa0
    fmv.x.d a0, fa0
    fmv.w.x fa0, a0
    fmv.d.x fa0, a0
    fcvt.w.s a0, fa0
    fcvt.w.s a0, fa0, rtz
    fcvt.wu.s a0, fa0
    fcvt.l.s a0, fa0, rdn
    fcvt.lu.s a0, fa0
    fcvt.s.w fa0, a0
    fcvt.s.wu fa0, a0, rne
    fcvt.s.l fa0, a0
    fcvt.s.lu fa0, a0
    fcvt.w.d a0, fa0, rtz
    fcvt.wu.d a0, fa0
    fcvt.l.d a0, fa0
    fcvt.lu.d a0, fa0, rmm
    fcvt.d.w fa0, a0
    fcvt.d.wu fa0, a0
    fcvt.d.l fa0, a0
    fcvt.d.lu fa0, a0, rup
    fcvt.s.d fa0, fa1
    fcvt.s.d fa0, fa1, rtz
    fcvt.d.s fa0, fa1
# RV64C
    .option rvc
    c.addi4spn a0, sp, 4
    c.addi4spn s1, sp, 1020
    c.fld fa0, 0(a1)
    c.fld fs1, 248(s0)
    c.lw a0, 124(a5)
    c.ld s0, 8(a2)
    c.fsd fa5, 16(a0)
    c.sw a4, 0(s1)
    c.sd a3, 248(a1)
    c.nop
    c.addi a0, -32
    c.addi t6, 31
    c.addiw a0, -1
    c.addiw s11, 5
    c.li a0, 0
    c.li ra, -32
    c.addi16sp sp, -512
    c.addi16sp sp, 496
    c.lui a0, 1
    c.lui t0, 0xfffe0
    c.srli a0, 1
    c.srli s1, 63
    c.srai a1, 32
    c.srai a5, 5
    c.andi a0, -1
    c.andi s0, 31
    c.sub a0, a1
    c.xor s0, s1
    c.or a2, a3
    c.and a4, a5
    c.subw a0, a5
    c.addw s1, a2
4:  c.j 4b
    c.j 5f
    c.beqz a0, 4b
    c.bnez s1, 5f
5:  c.slli a0, 1
    c.slli t6, 63
    c.fldsp fa0, 0(sp)
    c.fldsp ft11, 504(sp)
    c.lwsp a0, 252(sp)
    c.ldsp ra, 504(sp)
    c.jr ra
    c.jr t6
    c.mv a0, a1
    c.ebreak
    c.jalr a0
    c.add a0, a1
    c.add t6, t6
    c.fsdsp fa0, 0(sp)
    c.fsdsp fs11, 504(sp)
    c.swsp a0, 252(sp)
    c.sdsp ra, 504(sp)
