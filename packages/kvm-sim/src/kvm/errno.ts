// Linux generic errno values (kvm.md §1.5) with their names and strerror texts, so results read the way
// QEMU prints them ("Device or resource busy").

export const EPERM = 1;
export const ENOENT = 2;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const E2BIG = 7;
export const ENOEXEC = 8;
export const EBADF = 9;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const EINVAL = 22;
export const ENOTTY = 25;
export const ENOSPC = 28;

const TABLE: Readonly<Record<number, readonly [string, string]>> = {
  [EPERM]: ['EPERM', 'Operation not permitted'],
  [ENOENT]: ['ENOENT', 'No such file or directory'],
  [EINTR]: ['EINTR', 'Interrupted system call'],
  [EIO]: ['EIO', 'Input/output error'],
  [ENXIO]: ['ENXIO', 'No such device or address'],
  [E2BIG]: ['E2BIG', 'Argument list too long'],
  [ENOEXEC]: ['ENOEXEC', 'Exec format error'],
  [EBADF]: ['EBADF', 'Bad file descriptor'],
  [EAGAIN]: ['EAGAIN', 'Resource temporarily unavailable'],
  [ENOMEM]: ['ENOMEM', 'Cannot allocate memory'],
  [EFAULT]: ['EFAULT', 'Bad address'],
  [EBUSY]: ['EBUSY', 'Device or resource busy'],
  [EEXIST]: ['EEXIST', 'File exists'],
  [ENODEV]: ['ENODEV', 'No such device'],
  [EINVAL]: ['EINVAL', 'Invalid argument'],
  [ENOTTY]: ['ENOTTY', 'Inappropriate ioctl for device'],
  [ENOSPC]: ['ENOSPC', 'No space left on device'],
};

/** `errnoName(16)` → "EBUSY"; accepts the positive or negative form. */
export function errnoName(errno: number): string {
  const e = Math.abs(errno);
  return TABLE[e]?.[0] ?? `E#${e}`;
}

/** strerror(): `strerror(16)` → "Device or resource busy". */
export function strerror(errno: number): string {
  const e = Math.abs(errno);
  return TABLE[e]?.[1] ?? `Unknown error ${e}`;
}

/** How an ioctl result reads in a trace or a count: "0", a fd number, or "-EBUSY". */
export function formatResult(ret: number): string {
  return ret < 0 ? `-${errnoName(ret)}` : String(ret);
}
