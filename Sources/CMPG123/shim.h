// On 64-bit Linux off_t is already 64 bits, so the plain names are the large-file API; turning
// off the renaming macros lets Swift see `mpg123_open_fd`, `mpg123_length`, … under those names.
#define MPG123_NO_LARGENAME 1
#include <mpg123.h>
