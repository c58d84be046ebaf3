import { ContainersSection } from '@/components/containers/containers-section';

export default async function ContainersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <ContainersSection project={slug} />;
}
