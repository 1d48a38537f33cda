# casefile profile of process 10376 on vm, 2026-12-06T10:48:20.082Z
# casefile-profile section=on-cpu unit=samples hz=99 duration_ns=22000372130 pid=10376 cpus=2
keepalived (10376);__libc_start_call_main;main;keepalived;recompute_state;burn_cpu_hot_loop 237
keepalived (10376);__libc_start_call_main;main;keepalived;recompute_state;burn_cpu_hot_loop;asm_common_interrupt_[k];common_interrupt_[k];__irq_exit_rcu_[k];handle_softirqs_[k];blk_done_softirq_[k];__blk_mq_end_request_[k];flush_end_io_[k];_raw_spin_unlock_irqrestore_[k] 1
keepalived (10376);__libc_start_call_main;main;keepalived;recompute_state;burn_cpu_hot_loop;asm_common_interrupt_[k];common_interrupt_[k];__irq_exit_rcu_[k];handle_softirqs_[k];blk_done_softirq_[k];blk_mq_end_request_[k];blk_update_request_[k];ext4_end_bio_[k];ext4_finish_bio_[k];folio_end_writeback_[k];folio_end_writeback_no_dropbehind_[k];__folio_end_writeback_[k];_raw_spin_unlock_irqrestore_[k] 1
keepalived (10376);__libc_start_call_main;main;keepalived;recompute_state;burn_cpu_hot_loop;asm_sysvec_apic_timer_interrupt_[k];irqentry_exit_to_user_mode_[k];schedule_[k];__schedule_[k];finish_task_switch.isra.0_[k] 1
keepalived (10376);entry_SYSCALL_64_after_hwframe_[k];do_syscall_64_[k];x64_sys_call_[k];__x64_sys_exit_group_[k];do_group_exit_[k];do_exit_[k];task_work_run_[k];__fput_[k];security_file_free_[k];hook_file_free_security_[k] 1
# casefile-profile section=off-cpu unit=ns duration_ns=22000372130 pid=10376
keepalived (10376);__libc_start_call_main;main;clock_nanosleep;entry_SYSCALL_64_after_hwframe_[k];do_syscall_64_[k];__x64_sys_clock_nanosleep_[k];common_nsleep_[k];hrtimer_nanosleep_[k];do_nanosleep_[k];schedule_[k];__schedule_[k] 12022566078
keepalived (10376);__libc_start_call_main;main;keepalived;recompute_state;burn_cpu_hot_loop;asm_common_interrupt_[k];irqentry_exit_to_user_mode_[k];schedule_[k];__schedule_[k] 11856735
keepalived (10376);__libc_start_call_main;main;keepalived;recompute_state;burn_cpu_hot_loop;asm_sysvec_apic_timer_interrupt_[k];irqentry_exit_to_user_mode_[k];schedule_[k];__schedule_[k] 2440980194
keepalived (10376);__libc_start_call_main;main;keepalived;recompute_state;burn_cpu_hot_loop;asm_sysvec_reschedule_ipi_[k];irqentry_exit_to_user_mode_[k];schedule_[k];__schedule_[k] 161237065
