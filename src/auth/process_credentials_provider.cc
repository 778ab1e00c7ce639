#include "auth/process_credentials_provider.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "auth/credentials_document.h"

extern char** environ;

namespace kinesis::auth {
namespace {

constexpr size_t kMaxOutputBytes = 1 << 20;

}  // namespace

Result<Credentials> ProcessCredentialsProvider::Fetch() {
  const std::string who = "credential_process of profile '" + profile_ + "'";
  if (command_.empty()) return Status::InvalidArgument(who + " is empty");
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return Status::Unavailable(who + ": pipe failed: " + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::string shell = "/bin/sh";
  std::string dash_c = "-c";
  std::string command = command_;
  char* argv[] = {shell.data(), dash_c.data(), command.data(), nullptr};
  pid_t pid = 0;
  int spawn_error = ::posix_spawn(&pid, "/bin/sh", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (spawn_error != 0) {
    ::close(pipe_fds[0]);
    return Status::Unavailable(who + " could not start: " + std::strerror(spawn_error));
  }

  std::string output;
  Status failure;
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  char buffer[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      failure = Status::DeadlineExceeded(who + " ran longer than " +
                                         std::to_string(timeout_.count()) + " ms and was killed");
      break;
    }
    pollfd fd{pipe_fds[0], POLLIN, 0};
    int ready = ::poll(&fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // the deadline check above ends the loop
    ssize_t n = ::read(pipe_fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // end of output
    output.append(buffer, static_cast<size_t>(n));
    if (output.size() > kMaxOutputBytes) {
      failure = Status::OutOfRange(who + " wrote more than " + std::to_string(kMaxOutputBytes) +
                                   " bytes");
      break;
    }
  }
  ::close(pipe_fds[0]);
  if (!failure.ok()) ::kill(pid, SIGKILL);
  int wait_status = 0;
  while (::waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  if (!failure.ok()) return failure;
  if (WIFSIGNALED(wait_status)) {
    return Status::Unavailable(who + " was killed by signal " +
                               std::to_string(WTERMSIG(wait_status)));
  }
  if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) {
    return Status::Unavailable(who + " exited with status " +
                               std::to_string(WEXITSTATUS(wait_status)));
  }
  return ParseCredentialsDocument(output, CredentialsDocumentKind::kCredentialProcess, who);
}

}  // namespace kinesis::auth
