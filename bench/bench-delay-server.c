/* bench-delay-server.c: the task API answering after a fixed delay, for
 * B8 (a distant API). bench/serve.sh starts it inside the benchmark's own
 * network namespace.
 *
 * Why not netem: this kernel has no sch_netem ("tc qdisc add dev lo root
 * netem" fails with "Specified qdisc kind is unknown"), and nginx cannot
 * delay an answer without a module Debian's nginx-light lacks. So this
 * server delays each answer by --delay ms from when its request arrived,
 * on one thread with epoll and a timerfd: every answer has the same delay,
 * so they fall due in arrival order and one FIFO holds them. What it does
 * not model is the network's delay on connecting (the TCP and TLS
 * handshakes take no extra round trip here), which only matters for new
 * connections, not for polls on kept-alive ones.
 *
 * The answer is nginx's static envelope: a "processing" task whose data.id
 * is the last segment of the path. HTTP/1.1 with keep-alive; one request
 * at a time per connection (pipelined requests are answered in order).
 *
 * Usage: bench-delay-server --port PORT --delay MS  (listens on 127.0.0.1)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 65536
#define BUF_SIZE 4096
#define ID_MAX 200

/* One connection, indexed by its fd. @generation tells an answer queued
 * for a connection that has since closed from one for its successor. */
typedef struct {
  char buf[BUF_SIZE];
  size_t len;
  unsigned generation;
  int open;
} Conn;

/* An answer due at @due_ns on connection @fd. */
typedef struct {
  int64_t due_ns;
  int fd;
  unsigned generation;
  char id[ID_MAX + 1];
} Answer;

static Conn *conns;
static Answer *queue;           /* a ring of queue_cap answers */
static size_t queue_cap, queue_head, queue_len;

static int64_t
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
close_conn (int epfd, int fd)
{
  epoll_ctl (epfd, EPOLL_CTL_DEL, fd, NULL);
  close (fd);
  conns[fd].open = 0;
  conns[fd].len = 0;
  conns[fd].generation++;
}

static void
push_answer (int fd, const char *id, size_t id_len, int64_t due_ns)
{
  Answer *a;

  if (queue_len == queue_cap) {
    Answer *bigger = calloc (queue_cap * 2, sizeof *bigger);
    size_t i;

    for (i = 0; i < queue_len; i++)
      bigger[i] = queue[(queue_head + i) % queue_cap];
    free (queue);
    queue = bigger;
    queue_head = 0;
    queue_cap *= 2;
  }
  a = &queue[(queue_head + queue_len++) % queue_cap];
  a->due_ns = due_ns;
  a->fd = fd;
  a->generation = conns[fd].generation;
  memcpy (a->id, id, id_len);
  a->id[id_len] = '\0';
}

/* Takes every complete request out of @c's buffer and queues its answer. */
static int
take_requests (int fd, Conn * c, int64_t due_ns)
{
  char *end;

  while ((end = memmem (c->buf, c->len, "\r\n\r\n", 4)) != NULL) {
    size_t used = end + 4 - c->buf;
    char *path = memchr (c->buf, ' ', used);
    char *path_end = path ? memchr (path + 1, ' ', used - (path + 1 - c->buf))
        : NULL;
    char *id;

    if (path == NULL || path_end == NULL)
      return -1;
    *path_end = '\0';
    id = strrchr (path + 1, '/');
    id = id ? id + 1 : path + 1;
    if (path_end - id > ID_MAX)
      return -1;
    push_answer (fd, id, path_end - id, due_ns);
    memmove (c->buf, c->buf + used, c->len - used);
    c->len -= used;
  }
  return c->len == BUF_SIZE ? -1 : 0;
}

static void
send_answer (int epfd, const Answer * a)
{
  char body[512], reply[1024];
  int body_len, len;

  if (!conns[a->fd].open || conns[a->fd].generation != a->generation)
    return;
  body_len = snprintf (body, sizeof body, "{\"code\":20000,\"msg\":\"ok\","
      "\"data\":{\"id\":\"%s\",\"object\":\"audio\",\"created\":1781777280,"
      "\"model\":\"soundCloningAudio\",\"status\":\"processing\","
      "\"error\":null}}", a->id);
  len = snprintf (reply, sizeof reply, "HTTP/1.1 200 OK\r\n"
      "Content-Type: application/json\r\nContent-Length: %d\r\n"
      "Connection: keep-alive\r\n\r\n%s", body_len, body);
  /* A few hundred bytes fit the socket buffer of an idle connection. */
  if (send (a->fd, reply, len, MSG_NOSIGNAL) != len)
    close_conn (epfd, a->fd);
}

static void
arm_timer (int tfd)
{
  struct itimerspec its = { 0 };

  if (queue_len > 0) {
    int64_t due = queue[queue_head].due_ns;

    its.it_value.tv_sec = due / 1000000000;
    its.it_value.tv_nsec = due % 1000000000;
    if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
      its.it_value.tv_nsec = 1;
  }
  timerfd_settime (tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void
answer_due (int epfd)
{
  int64_t now = now_ns ();

  while (queue_len > 0 && queue[queue_head].due_ns <= now) {
    send_answer (epfd, &queue[queue_head]);
    queue_head = (queue_head + 1) % queue_cap;
    queue_len--;
  }
}

static int
listen_on (int port)
{
  struct sockaddr_in addr = { 0 };
  int one = 1, fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0
      || listen (fd, 4096) < 0) {
    fprintf (stderr, "bench-delay-server: cannot listen on 127.0.0.1:%d: "
        "%s\n", port, strerror (errno));
    exit (1);
  }
  return fd;
}

int
main (int argc, char **argv)
{
  struct epoll_event ev, events[256];
  int port = 0, delay_ms = -1, lfd, tfd, epfd, i, n;

  for (i = 1; i + 1 < argc; i += 2) {
    if (strcmp (argv[i], "--port") == 0)
      port = atoi (argv[i + 1]);
    else if (strcmp (argv[i], "--delay") == 0)
      delay_ms = atoi (argv[i + 1]);
  }
  if (port <= 0 || delay_ms < 0 || i != argc) {
    fprintf (stderr, "usage: bench-delay-server --port PORT --delay MS\n");
    return 2;
  }

  conns = calloc (MAX_FDS, sizeof *conns);
  queue_cap = 1024;
  queue = calloc (queue_cap, sizeof *queue);
  lfd = listen_on (port);
  tfd = timerfd_create (CLOCK_MONOTONIC, TFD_NONBLOCK);
  epfd = epoll_create1 (0);
  ev.events = EPOLLIN;
  ev.data.fd = lfd;
  epoll_ctl (epfd, EPOLL_CTL_ADD, lfd, &ev);
  ev.data.fd = tfd;
  epoll_ctl (epfd, EPOLL_CTL_ADD, tfd, &ev);

  while ((n = epoll_wait (epfd, events, 256, -1)) >= 0 || errno == EINTR) {
    for (i = 0; i < n; i++) {
      int fd = events[i].data.fd;

      if (fd == lfd) {
        int c, one = 1;

        while ((c = accept4 (lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          if (c >= MAX_FDS) {
            close (c);
            continue;
          }
          setsockopt (c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          conns[c].open = 1;
          ev.events = EPOLLIN;
          ev.data.fd = c;
          epoll_ctl (epfd, EPOLL_CTL_ADD, c, &ev);
        }
      } else if (fd == tfd) {
        uint64_t expirations;

        if (read (tfd, &expirations, sizeof expirations) < 0 && errno != EAGAIN)
          return 1;
        answer_due (epfd);
      } else {
        Conn *c = &conns[fd];
        ssize_t got = recv (fd, c->buf + c->len, BUF_SIZE - c->len, 0);

        if (got <= 0) {
          if (got == 0 || (errno != EAGAIN && errno != EINTR))
            close_conn (epfd, fd);
          continue;
        }
        c->len += got;
        if (take_requests (fd, c, now_ns () + delay_ms * 1000000LL) < 0)
          close_conn (epfd, fd);
      }
    }
    answer_due (epfd);
    arm_timer (tfd);
  }
  return 1;
}
