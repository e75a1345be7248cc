#include "task_table.hpp"

namespace capprof {

TaskState& TaskTable::insert(pid_t tid, std::shared_ptr<ProcessState> process) {
    auto [it, inserted] = tasks_.try_emplace(tid);
    if (inserted) ++threads_seen_;
    it->second.tid = tid;
    it->second.process = std::move(process);
    it->second.entry = SyscallEntry{};
    it->second.forced_return.reset();
    return it->second;
}

TaskState& TaskTable::add_process(pid_t leader, const ProcessState* parent) {
    ++processes_seen_;
    auto process = std::make_shared<ProcessState>();
    if (parent) *process = *parent;
    process->tgid = leader;
    process->in_own_pid_namespace = -1;
    process->denied = false;
    process->message = PendingMessage{};
    process->leader_status.reset();
    return insert(leader, std::move(process));
}

TaskState& TaskTable::add_thread(pid_t tid, const TaskState& sibling) {
    return insert(tid, sibling.process);
}

void TaskTable::erase(pid_t tid) {
    if (tid == cached_tid_) cached_tid_ = 0, cached_ = nullptr;
    tasks_.erase(tid);
}

void TaskTable::exec_took_over(pid_t leader, pid_t former) {
    if (leader == former) return;
    auto it = tasks_.find(former);
    if (it == tasks_.end()) return;
    std::shared_ptr<ProcessState> process = it->second.process;
    SyscallEntry entry = it->second.entry;
    erase(former);
    if (TaskState* task = find(leader)) {
        task->entry = entry;
        if (!task->process) task->process = std::move(process);
    } else {
        // The old leader was already reaped; the execing thread now is it.
        TaskState& took_over = insert(leader, std::move(process));
        --threads_seen_;  // the same task under its new tid
        took_over.entry = entry;
    }
}

}  // namespace capprof
