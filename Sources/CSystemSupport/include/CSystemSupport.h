#ifndef SPEECHPREP_CSYSTEMSUPPORT_H
#define SPEECHPREP_CSYSTEMSUPPORT_H

#include <spawn.h>

/// glibc declares these only with _GNU_SOURCE, which Swift's Glibc module is built without;
/// shim.c is compiled with it and passes them through unchanged.

/// `pipe2(fds, O_CLOEXEC)`: both ends close-on-exec from the start, so a child spawned by
/// another thread at the same moment cannot inherit them.
int speechprep_pipe_cloexec(int fds[2]);

/// `POSIX_SPAWN_SETSID` (0x80): the child starts a new session.
short speechprep_spawn_setsid_flag(void);

/// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34): close every descriptor >= from.
int speechprep_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// `sync_file_range(fd, offset, count, SYNC_FILE_RANGE_WRITE)`: start writing the range's dirty
/// pages without waiting for them.
int speechprep_start_writeback(int fd, long long offset, long long count);

#endif
