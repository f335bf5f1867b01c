/* jimmy-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-error.h"

G_DEFINE_QUARK (jimmy-client-error-quark, jimmy_client_error);
