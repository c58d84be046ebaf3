import { BenchmarksSection } from '@/components/benchmarks/benchmarks-section';

export default async function BenchmarksPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <BenchmarksSection project={slug} />;
}
