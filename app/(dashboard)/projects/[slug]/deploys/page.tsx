import { DeploysSection } from '@/components/deploys/deploys-section';

export default async function DeploysPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <DeploysSection project={slug} />;
}
