/**
 * Docker Engine API responses for tests, in the documented shapes.
 * - CONTAINER_LIST_EXAMPLE: the ContainerList (GET /containers/json) response sample of the
 *   API reference (v1.24 onwards; trimmed to the first entry, which the docs show stopped
 *   because the sample was taken with all=true).
 * - CONTAINER_STATS_EXAMPLE: the ContainerStats (GET /containers/{id}/stats) response sample,
 *   verbatim: a cgroup v1 host with two interfaces.
 * - cgroupV2Stats: the same shape as a cgroup v2 daemon (Docker 20.10+) sends it - lower-case
 *   blkio ops, `inactive_file` instead of `total_inactive_file` - with figures chosen so every
 *   field of the payload is exercised.
 */

export const CONTAINER_LIST_EXAMPLE = [
  {
    Id: '8dfafdbc3a40',
    Names: ['/boring_feynman'],
    Image: 'ubuntu:latest',
    ImageID: 'd74508fb6632491cea586a1fd7d748dfc5274cd6fdfedee309ecdcbc2bf5cb82',
    Command: 'echo 1',
    Created: 1367854155,
    State: 'exited',
    Status: 'Exit 0',
    Ports: [{ PrivatePort: 2222, PublicPort: 3333, Type: 'tcp' }],
    Labels: { 'com.example.vendor': 'Acme', 'com.example.license': 'GPL', 'com.example.version': '1.0' },
    SizeRw: 12288,
    SizeRootFs: 0,
    HostConfig: { NetworkMode: 'default' },
    NetworkSettings: {
      Networks: {
        bridge: {
          IPAMConfig: null,
          Links: null,
          Aliases: null,
          NetworkID: '7ea29fc1412292a2d7bba362f9253545fecdfa8ce9a6e37dd10ba8bee7129812',
          EndpointID: '2cdc4edb1ded3631c81f57966563e5c8525b81121bb3706a9a9a3ae102711f3f',
          Gateway: '172.17.0.1',
          IPAddress: '172.17.0.2',
          IPPrefixLen: 16,
          IPv6Gateway: '',
          GlobalIPv6Address: '',
          GlobalIPv6PrefixLen: 0,
          MacAddress: '02:42:ac:11:00:02',
        },
      },
    },
    Mounts: [
      {
        Name: 'fac362...80535',
        Source: '/data',
        Destination: '/data',
        Driver: 'local',
        Mode: 'ro,Z',
        RW: false,
        Propagation: '',
      },
    ],
  },
];

export type ContainerListEntry = (typeof CONTAINER_LIST_EXAMPLE)[number];

/** A documented list entry for another container: its own id, name, state and labels. */
export function listEntry(
  id: string,
  name: string,
  options: { state?: string; labels?: Record<string, string> } = {},
): ContainerListEntry {
  const [example] = CONTAINER_LIST_EXAMPLE;
  if (example === undefined) throw new Error('no example');
  return {
    ...example,
    Id: id,
    Names: [`/${name}`],
    State: options.state ?? 'running',
    Status: options.state === undefined || options.state === 'running' ? 'Up 2 hours' : 'Exit 0',
    Labels: { ...example.Labels, ...options.labels },
  };
}

export const CONTAINER_STATS_EXAMPLE = {
  read: '2015-01-08T22:57:31.547920715Z',
  pids_stats: { current: 3 },
  networks: {
    eth0: {
      rx_bytes: 5338,
      rx_dropped: 0,
      rx_errors: 0,
      rx_packets: 36,
      tx_bytes: 648,
      tx_dropped: 0,
      tx_errors: 0,
      tx_packets: 8,
    },
    eth5: {
      rx_bytes: 4641,
      rx_dropped: 0,
      rx_errors: 0,
      rx_packets: 26,
      tx_bytes: 690,
      tx_dropped: 0,
      tx_errors: 0,
      tx_packets: 9,
    },
  },
  memory_stats: {
    stats: {
      total_pgmajfault: 0,
      cache: 0,
      mapped_file: 0,
      total_inactive_file: 0,
      pgpgout: 414,
      rss: 6537216,
      total_mapped_file: 0,
      writeback: 0,
      unevictable: 0,
      pgpgin: 477,
      total_unevictable: 0,
      pgmajfault: 0,
      total_rss: 6537216,
      total_rss_huge: 6291456,
      total_writeback: 0,
      total_inactive_anon: 0,
      rss_huge: 6291456,
      hierarchical_memory_limit: 67108864,
      total_pgfault: 964,
      total_active_file: 0,
      active_anon: 6537216,
      total_active_anon: 6537216,
      total_pgpgout: 414,
      total_cache: 0,
      inactive_anon: 0,
      active_file: 0,
      pgfault: 964,
      inactive_file: 0,
      total_pgpgin: 477,
    },
    max_usage: 6651904,
    usage: 6537216,
    failcnt: 0,
    limit: 67108864,
  },
  blkio_stats: {},
  cpu_stats: {
    cpu_usage: {
      percpu_usage: [8646879, 24472255, 36438778, 30657443],
      usage_in_usermode: 50000000,
      total_usage: 100215355,
      usage_in_kernelmode: 30000000,
    },
    system_cpu_usage: 739306590000000,
    online_cpus: 4,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  },
  precpu_stats: {
    cpu_usage: {
      percpu_usage: [8646879, 24350896, 36438778, 30657443],
      usage_in_usermode: 50000000,
      total_usage: 100093996,
      usage_in_kernelmode: 30000000,
    },
    system_cpu_usage: 9492140000000,
    online_cpus: 4,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  },
};

export interface CgroupV2Figures {
  /** Container CPU time in the sample window, as a share of one core (0.5 = half a core). */
  coresBusy: number;
  onlineCpus?: number;
  usage: number;
  inactiveFile: number;
  limit: number;
  rx: [number, number];
  tx: [number, number];
  read: number;
  write: number;
  pids: number;
}

/**
 * A cgroup v2 stats response. The window is one second of host CPU time: system_cpu_usage
 * grows by onlineCpus x 1e9 ns, the container's total_usage by coresBusy x 1e9 ns.
 */
export function cgroupV2Stats(figures: CgroupV2Figures) {
  const cpus = figures.onlineCpus ?? 2;
  const systemBefore = 5_000_000_000_000;
  const usageBefore = 40_000_000_000;
  return {
    name: '/api',
    id: 'b3f1c2d4e5f6',
    read: '2026-11-30T15:00:01.000000000Z',
    preread: '2026-11-30T15:00:00.000000000Z',
    pids_stats: { current: figures.pids, limit: 4096 },
    blkio_stats: {
      io_service_bytes_recursive: [
        { major: 259, minor: 0, op: 'read', value: figures.read },
        { major: 259, minor: 0, op: 'write', value: figures.write },
      ],
      io_serviced_recursive: null,
      io_queue_recursive: null,
      io_service_time_recursive: null,
      io_wait_time_recursive: null,
      io_merged_recursive: null,
      io_time_recursive: null,
      sectors_recursive: null,
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: {
      cpu_usage: {
        total_usage: usageBefore + figures.coresBusy * 1e9,
        usage_in_kernelmode: 1_000_000,
        usage_in_usermode: 2_000_000,
      },
      system_cpu_usage: systemBefore + cpus * 1e9,
      online_cpus: cpus,
      throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
    },
    precpu_stats: {
      cpu_usage: { total_usage: usageBefore, usage_in_kernelmode: 1_000_000, usage_in_usermode: 2_000_000 },
      system_cpu_usage: systemBefore,
      online_cpus: cpus,
      throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
    },
    memory_stats: {
      usage: figures.usage,
      stats: {
        active_anon: 10_000_000,
        active_file: 2_000_000,
        anon: 12_000_000,
        file: 8_000_000,
        inactive_anon: 2_000_000,
        inactive_file: figures.inactiveFile,
        kernel_stack: 200_000,
        pgfault: 12345,
        shmem: 0,
        sock: 0,
        slab: 500_000,
      },
      limit: figures.limit,
    },
    networks: {
      eth0: {
        rx_bytes: figures.rx[0],
        rx_packets: 10,
        rx_errors: 0,
        rx_dropped: 0,
        tx_bytes: figures.tx[0],
        tx_packets: 10,
        tx_errors: 0,
        tx_dropped: 0,
      },
      eth1: {
        rx_bytes: figures.rx[1],
        rx_packets: 5,
        rx_errors: 0,
        rx_dropped: 0,
        tx_bytes: figures.tx[1],
        tx_packets: 5,
        tx_errors: 0,
        tx_dropped: 0,
      },
    },
  };
}
