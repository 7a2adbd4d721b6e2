/* fuzz_offline.c - no network while fuzzing. The guard of functions/web/
 * net.c refuses addresses that are not global and lets global ones
 * through; a fuzzer that writes "http://8.8.8.8/" must not reach them. So
 * the harness binary takes the place of two libc calls: socket() refuses
 * the Internet families (the guard's own socket() call, after its check,
 * fails as an unreachable host would), and getaddrinfo() resolves numeric
 * hosts only (no DNS query). Everything up to the connection still runs.
 * Linked into the fuzz binary only; ASan's getaddrinfo interceptor is weak,
 * so this definition wins. */
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int socket(int domain, int type, int protocol)
{
	if (domain == AF_INET || domain == AF_INET6) {
		errno = EACCES;
		return -1;
	}
	return (int)syscall(SYS_socket, domain, type, protocol);
}

typedef int getaddrinfo_t(const char *node, const char *service,
                          const struct addrinfo *hints, struct addrinfo **res);

/* libc's, looked up once before main (curl resolves on threads of its own). */
static getaddrinfo_t *real_getaddrinfo;

__attribute__((constructor)) static void find_getaddrinfo(void)
{
	*(void **)&real_getaddrinfo = dlsym(RTLD_NEXT, "getaddrinfo");
}

int getaddrinfo(const char *node, const char *service,
                const struct addrinfo *hints, struct addrinfo **res)
{
	struct addrinfo h;

	if (real_getaddrinfo == NULL)
		return EAI_FAIL;
	if (hints != NULL)
		h = *hints;
	else
		memset(&h, 0, sizeof(h));
	h.ai_flags |= AI_NUMERICHOST | AI_NUMERICSERV;
	return real_getaddrinfo(node, service, &h, res);
}
