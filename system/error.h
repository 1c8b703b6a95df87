/* One-line error messages for the caller's buffer (front doors print them). */
#ifndef WASMU_ERROR_H
#define WASMU_ERROR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

/* Formats into err and returns false, so callers can `return fail(...)`. */
static inline bool fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return false;
}

#endif
