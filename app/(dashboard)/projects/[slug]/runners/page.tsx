import { RunnersSection } from '@/components/runners/runners-section';

export default async function RunnersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <RunnersSection project={slug} />;
}
