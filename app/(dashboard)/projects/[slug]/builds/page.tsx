import { BuildsSection } from '@/components/builds/builds-section';

export default async function BuildsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <BuildsSection project={slug} />;
}
