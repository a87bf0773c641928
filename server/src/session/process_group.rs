//! Children in a process group of their own, and signals to the whole
//! group: how the agent runner and the pipeline stop everything a command
//! started, grandchildren included.

use std::process::{Child, Command};

/// What to ask of the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT: the user interrupted (Ctrl-C).
    Interrupt,
    /// SIGTERM: stop.
    Terminate,
    /// SIGKILL: stop now.
    Kill,
}

/// Makes the child lead a process group of its own when it starts.
#[cfg(unix)]
pub fn own_process_group(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
}

#[cfg(not(unix))]
pub fn own_process_group(_command: &mut Command) {}

/// Sends `signal` to the process group the child leads.
#[cfg(unix)]
pub fn signal_group(child: &mut Child, signal: Signal) {
    let Ok(group) = libc::pid_t::try_from(child.id()) else {
        return;
    };
    let signal = match signal {
        Signal::Interrupt => libc::SIGINT,
        Signal::Terminate => libc::SIGTERM,
        Signal::Kill => libc::SIGKILL,
    };
    // SAFETY: kill(2) with a negative pid signals the process group the
    // child leads; it takes plain integers and reads no memory of ours.
    unsafe {
        libc::kill(-group, signal);
    }
}

/// Without process groups, the child alone is stopped.
#[cfg(not(unix))]
pub fn signal_group(child: &mut Child, _signal: Signal) {
    let _ = child.kill();
}
