# The CPU profiler (`casefile profile`): profile.bpf.c and its loader bpf/profiler.
# Included by bpf/Makefile; runs alone too: make -C bpf -f profile.mk
# vmlinux.h comes from this kernel's BTF (CO-RE relocates the field offsets at load).
PROFILE_CLANG ?= clang
PROFILE_BPFTOOL ?= bpftool
PROFILE_ARCH := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
PROFILE_OUT := .profile-build

profiler: profiler.c $(PROFILE_OUT)/profile.skel.h
	cc -O2 -g -Wall -I$(PROFILE_OUT) -o $@ profiler.c -Wl,-Bstatic -lbpf -Wl,-Bdynamic -lelf -lz

$(PROFILE_OUT)/vmlinux.h:
	mkdir -p $(PROFILE_OUT)
	$(PROFILE_BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(PROFILE_OUT)/profile.bpf.o: profile.bpf.c $(PROFILE_OUT)/vmlinux.h
	$(PROFILE_CLANG) -O2 -g -target bpf -D__TARGET_ARCH_$(PROFILE_ARCH) -I$(PROFILE_OUT) -c profile.bpf.c -o $@

$(PROFILE_OUT)/profile.skel.h: $(PROFILE_OUT)/profile.bpf.o
	$(PROFILE_BPFTOOL) gen skeleton $< name profile_bpf > $@.tmp && mv $@.tmp $@

.PHONY: profile-clean
profile-clean:
	rm -rf $(PROFILE_OUT) profiler
