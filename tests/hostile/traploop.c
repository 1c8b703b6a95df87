/*
 * A guest that traps for ever: a load from address 8 faults, and the trap
 * vector (mtvec, 0 at reset) is not memory either, so every fetch there
 * faults again.  The machine must stay the host's: the test
 * (tests/hostile/ctrl_a.py) quits it with Ctrl-A x.
 */
int main(void)
{
    __asm__ volatile("ld t0, 8(zero)" ::: "t0", "memory");
    return 1;
}
