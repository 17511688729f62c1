#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>
#include "CSystemSupport.h"

int speechprep_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

short speechprep_spawn_setsid_flag(void) { return POSIX_SPAWN_SETSID; }

int speechprep_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

int speechprep_start_writeback(int fd, long long offset, long long count) {
    return sync_file_range(fd, offset, count, SYNC_FILE_RANGE_WRITE);
}
