/* sopm_version.h - the version every SOPM binary reports (GET /api/stats,
 * and later the builder and the CLI). */
#ifndef SOPM_VERSION_H
#define SOPM_VERSION_H

#define SOPM_VERSION "0.1.0"

#endif
