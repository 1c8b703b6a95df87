/* TCP for the native front door's sockets (-netdev socket, -gdb). */
#ifndef WASMU_POSIX_TCP_H
#define WASMU_POSIX_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A non-blocking TCP socket for "[HOST]:PORT" (HOST may be empty when
 * listening: any address), listening or connected; -1 with a message that
 * starts with who in err. */
int tcp_open(const char *spec, bool listen_there, const char *who, char *err,
             size_t errlen);
/* Accept a peer on listen_fd, non-blocking; -1 if none is waiting. */
int tcp_accept(int listen_fd);
/* Write all of buf, waiting for room at most a second in all. */
bool tcp_write_all(int fd, const uint8_t *buf, size_t len);

#endif
